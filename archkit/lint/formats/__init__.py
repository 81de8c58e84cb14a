"""One module per report format; each exposes `render(report: Report) -> str`."""
