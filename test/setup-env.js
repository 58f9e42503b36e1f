// Runs before every test file. The engine (n8n-core's InstanceSettings) writes its config,
// with a fresh encryption key, into N8N_USER_FOLDER: keep that out of the developer's home.
const fs = require('fs');
const os = require('os');
const path = require('path');

if (!process.env.N8N_USER_FOLDER) {
	const dir = path.join(os.tmpdir(), 'n8n-b24-telephony-tests');
	fs.mkdirSync(dir, { recursive: true });
	process.env.N8N_USER_FOLDER = dir;
}
// Dates in tests are written with explicit zones; UTC here catches code that forgets one.
process.env.TZ = 'UTC';
