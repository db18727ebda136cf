"""The public side's views: the pages citizens read (``public``), the open data files
(``data``) and the city team's publication settings (``manage``)."""
