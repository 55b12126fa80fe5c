"""An empty Flask app, served like Pingyi in B4 and B8: how fast this machine answers a request that does nothing.

The machine's speed drifts over a day (shared cores), so B4 and B8 print this reference next to their figures.
"""
from flask import Flask, jsonify, redirect

app = Flask(__name__)


@app.get("/api/v1/tasks")
def tasks():
    return jsonify(tasks=[])


@app.post("/vote")
def vote():  # B4's press: a form posted, a redirect back
    return redirect("/vote")
