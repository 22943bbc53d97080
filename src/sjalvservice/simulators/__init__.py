"""Simulators of the external systems the portal talks to, for development and tests.

The simulators are independent peers of the product: they never import the portal and the
portal never imports them. They speak the external systems' wire protocols instead.
"""
