"""Thin routes: parse the request, call a service, render. Each view declares its access."""
