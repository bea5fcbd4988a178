import { createApp } from 'vue';
import App from './App.vue';
import { createAppRouter } from './router.ts';
import './styles.css';

const app = createApp(App);
app.use(createAppRouter());
app.mount('#app');
