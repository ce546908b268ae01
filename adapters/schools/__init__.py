"""The schools edge: bulk returns from a school or its MIS (CSV), translated to intake requests."""
