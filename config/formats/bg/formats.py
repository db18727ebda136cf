# Bulgarian: Django's formats give the date but not the date with a time nor the month and
# year, which would otherwise fall back to the American "Dec. 1, 2026, 10 a.m.".
DATETIME_FORMAT = "d F Y, H:i"
SHORT_DATETIME_FORMAT = "d.m.Y, H:i"
YEAR_MONTH_FORMAT = "F Y"
