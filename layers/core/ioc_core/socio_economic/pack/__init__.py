"""The meeting pack: the period's figures as an XLSX workbook and a PDF report in the layout of
Decree 30/2020/NĐ-CP, frozen under a content hash so the meeting sees the same numbers later.

The caller computes everything (values, comparisons, forecasts, task progress) into a
``PackContent``; this package only lays it out, so the two files can never disagree.
"""
