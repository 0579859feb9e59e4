"""Detection over numpy arrays. OpenCV and numpy come from the vision Lambda layer."""
