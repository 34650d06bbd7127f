"""Permanence, proceedings and adoption."""
