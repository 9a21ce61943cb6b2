"""The timeline engine: a server-rendered SVG Gantt of a project or of the portfolio.

- schedule.py  dependencies' consequences: the critical path and tasks that start too early
- scale.py     zoom levels, the viewport, and the two header rows
- chart.py     the rows and bar geometry of one project at one zoom, cached in timeline_cache
- svg.py       the drawing
"""
