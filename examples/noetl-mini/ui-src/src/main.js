const apiBase = __API_BASE_URL__;

async function showHealth() {
  const target = document.getElementById("health");
  try {
    const response = await fetch(`${apiBase}/health`);
    const body = await response.json();
    target.textContent = `server ${body.version}: ${body.status}`;
  } catch (error) {
    target.textContent = `server unreachable at ${apiBase}: ${error}`;
  }
}

showHealth();
