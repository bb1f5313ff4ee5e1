"""Studies: the pure computations a page shows, on top of ``rmsviz.run`` (no streamlit, no figures).

``race`` the settings a race starts with, ``presets`` the lecture presets, ``decay`` the γ decay
weights, ``noise`` noisy and minibatch gradients, ``sweep`` hyperparameter grids, ``train`` a small
network on the digits, ``conventions`` RMSProp as each framework ships it, ``budget`` what one link may
make the server compute.
"""
