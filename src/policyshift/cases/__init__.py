"""Built-in cases: each a folder of events, roles, demands and a report spec."""
