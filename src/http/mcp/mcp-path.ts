/** Where the MCP server answers on the HTTP port; the stdio bridge of `ephemail mcp` relays to it. */
export const MCP_PATH = '/mcp';
