"""Small widgets of our own shared by several screens (charts drawn with QPainter)."""
