export default { name: 'noop', create() { return {}; } };
