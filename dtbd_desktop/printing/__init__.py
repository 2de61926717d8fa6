"""Drawing on paper: PDF pages and fonts, certificate layouts and their calibration, QR codes,
charts. Knows nothing of the database: it is handed what to draw."""
