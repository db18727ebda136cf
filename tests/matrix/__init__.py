"""The permission matrix, one table per app: every URL name, how it is called, and what each persona gets."""
