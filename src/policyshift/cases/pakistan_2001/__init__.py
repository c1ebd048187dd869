"""Pakistan after US troops entered Afghanistan in 2001 (see NOTES.md)."""
