"""MLflow's project-backend plugin for Quarkflow: projects run on the server, not on the submitting machine."""
