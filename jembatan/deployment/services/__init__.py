"""Writers of this app, one module per topic (see docs/architecture.md, house rule 6)."""
