"""Stakeholder-stance pipeline for news: quotes, speakers, organisations and stance."""

__version__ = "0.1.0"
