"""Helpers of the Streamlit app (app.py): labels in English and Thai, levers, model runs, headline numbers, charts,
downloads and uploads, and driving the app in a real browser."""
