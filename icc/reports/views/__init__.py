"""The early warning's pages and the reports' pages."""
