"""An empty Flask app, served like Pingyi in B8: how fast this machine answers a request that does nothing.

The machine's speed drifts over a day (shared cores), so B8 prints this reference next to its figures.
"""
from flask import Flask, jsonify

app = Flask(__name__)


@app.get("/api/v1/tasks")
def tasks():
    return jsonify(tasks=[])
