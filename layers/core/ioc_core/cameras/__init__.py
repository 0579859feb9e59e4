"""Security cameras: snapshots in S3 become fire, smoke and zone-change alerts operators verify.

models → service → ports → adapters, as every subsystem; ``vision/`` holds the detection code
(pure functions over numpy arrays, OpenCV imported lazily so the core layer stays light).
"""
