"""A small case-management system on loopback: it takes the portal's new cases through the
integration API's webhooks and JSON calls, and its page lets a person ask for a supplement
or close a case, so the demo shows the whole loop. It imports nothing of the product."""
