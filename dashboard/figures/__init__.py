"""The figures layer: tables, series, charts, theme, formatting and labels (pandas, plotly).

It never imports streamlit, so every chart builder returns a Plotly Figure that plain
pytest (and the slide exporter) can reach.
"""
