"""The floor for page and browser timings: one Plotly line chart of 7 points, nothing else.

The radio stands in for the dashboard's language switch, so a widget-driven redraw has a
baseline too; it only changes the chart's title.
"""

import plotly.graph_objects as go
import streamlit as st

language = st.radio("language", ["中文", "English"], horizontal=True, key="language")
figure = go.Figure(go.Scatter(x=list(range(7)), y=[3, 1, 4, 1, 5, 9, 2], mode="lines"))
figure.update_layout(title=f"baseline {language}")
st.plotly_chart(figure)
