"""Answers across documents: full-text search, a measure across years, conflicts,
two years compared, the timeline as a calendar. Plain Python (no Textual): the CLI
and the browser share it, and it reads the store only through `source.Source`."""
