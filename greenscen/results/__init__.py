"""Results: metrics, the independent compliance check, green tracing and the result object."""
