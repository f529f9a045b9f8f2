"""Reading and writing registry files."""
