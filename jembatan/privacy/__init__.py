"""The UU PDP side: what a person may ask about their personal data (the export today)."""
