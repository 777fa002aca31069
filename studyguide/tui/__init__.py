"""The Textual UI: a thin layer over the engine. One module per screen; styles in .tcss."""
