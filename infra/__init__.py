"""Infrastructure: the topology (topology.json), the local bootstrap, Terraform."""
