"""Code text into events: who did what to whom, when, with the sentence behind each event."""
