"""equipoise: how a country balances between powers, from the news.

The API lives in ``equipoise.api`` (analyze, extract, process); the data model in
``equipoise.document``; one module per pipeline stage (sources, clean, actors,
relations, facts), then store, analysis and report.
"""

__version__ = "0.1.0"
