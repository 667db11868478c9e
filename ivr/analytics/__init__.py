"""What the owner reads: metrics, the monthly report, charts and stale content."""
