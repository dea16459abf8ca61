import { render } from 'preact';
import { App } from './app.js';
import { resetReady } from './ready.js';
import { applyTheme, storedTheme } from './theme.js';
import './styles.css';

applyTheme(storedTheme());
resetReady();
render(<App />, document.getElementById('app')!);
