"""Measures over the event store: dyad series, reciprocity, the say-do gap, triads."""

from policyshift.measure.series import GRANULARITIES, dyad_events, series

__all__ = ["GRANULARITIES", "dyad_events", "series"]
