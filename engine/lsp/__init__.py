"""The language server (``loushi lsp``): see server.py, and docs/editors.md for editors."""
