# Maltese, which Django ships no formats or month names for: dates written in figures, as
# Maltese public services write them (01/12/2026), so no English month name shows.
DATE_FORMAT = "d/m/Y"
SHORT_DATE_FORMAT = "d/m/Y"
DATETIME_FORMAT = "d/m/Y, H:i"
SHORT_DATETIME_FORMAT = "d/m/Y, H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "d/m"
YEAR_MONTH_FORMAT = "m/Y"
FIRST_DAY_OF_WEEK = 1
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
