"""Code the three services share: settings, AWS clients, job store, events, consumer loop."""
