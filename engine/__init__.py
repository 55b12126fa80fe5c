"""Pingyi's application core: BPMN versions, instances, the inbox projection, timers, audit.

Never imports Flask; every caller (web views, CLI commands, the timer worker, tests) goes
through `engine.services`.
"""
