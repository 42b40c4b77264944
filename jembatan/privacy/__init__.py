"""The UU PDP side: data export, rights requests, restrictions, breaches, the record."""
