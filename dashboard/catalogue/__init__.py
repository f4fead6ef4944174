"""The catalogue layer: format, loading, validation, numbers, periods, coverage, export.

Plain Python with PyYAML and pydantic; it never imports pandas, plotly or streamlit
(.importlinter), so `python -m dashboard check` starts fast and runs anywhere.
"""
