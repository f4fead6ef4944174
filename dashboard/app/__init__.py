"""The app layer: the view context, caching, widgets and page blocks; the only streamlit layer.

app.py and app_pages/ lay out pages with these blocks.
"""
