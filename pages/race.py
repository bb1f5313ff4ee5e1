"""The optimizer race (placeholder until the race-page issue lands)."""

import streamlit as st

st.title("Optimizer race")
