# The docs site of electrode.cluster, built by scripts/docs.sh with antsibull-docs and Sphinx (made
# with antsibull-docs sphinx-init, then trimmed). Links into the main Ansible docs resolve through
# intersphinx, which needs the network: scripts/docs.sh reports those as the only warnings it allows.
project = 'electrode.cluster'
copyright = 'electrode.cluster contributors'
title = 'electrode.cluster documentation'
html_short_title = 'electrode.cluster'
extensions = ['sphinx.ext.autodoc', 'sphinx.ext.intersphinx', 'sphinx_antsibull_ext']
pygments_style = 'ansible'
highlight_language = 'YAML+Jinja'
html_theme = 'sphinx_ansible_theme'
html_show_sphinx = False
display_version = False
html_use_smartypants = True
html_use_modindex = False
html_use_index = False
html_copy_source = False
intersphinx_mapping = {
    'ansible_devel': ('https://docs.ansible.com/projects/ansible/devel/', None),
}
default_role = 'any'
nitpicky = True
