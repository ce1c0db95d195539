import { render } from 'solid-js/web';
import App from './App';
import { locale } from './i18n';
import { applyTheme } from './lib/theme';
import './styles.css';

applyTheme();
document.documentElement.lang = locale();
const root = document.getElementById('root');
if (root) render(() => <App />, root);
