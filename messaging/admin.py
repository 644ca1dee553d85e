"""The admin of messaging's models is registered by agencies (agencies/admin_pipeline.py),
which may read messaging; messaging never imports agencies."""
