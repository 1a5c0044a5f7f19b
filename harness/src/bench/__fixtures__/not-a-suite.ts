export default { tasks: 'none' };
