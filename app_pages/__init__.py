"""The Streamlit app's pages (scripts run by st.navigation in app.py) and their helpers."""
