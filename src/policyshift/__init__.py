"""policyshift: measure how a state's foreign policy shifts, from political event data."""

__version__ = "0.1.0"
