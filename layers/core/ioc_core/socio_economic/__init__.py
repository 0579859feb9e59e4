"""Socio-economic reporting: the city's development indicators with owners and approval,
targets as ranges, year-end forecasts that say what is still needed, the task register and
the meeting pack. Its indicator engine is shared: health, education, public administration
and tourism keep their figures in it."""
